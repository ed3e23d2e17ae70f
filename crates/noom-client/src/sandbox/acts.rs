//! The act handlers: `dispatch` checks the token and routes each act to its rule on the store.

use std::collections::HashMap;

use pos_client_core::chrono::Local;
use pos_client_core::encoding::DOTTED_DATE;
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::axum::response::Response;
use serde_json::{Map, Value, json};

use super::limits;
use super::state::{Body, Doc, Pay, Shared, Store, json_u64};
use super::tables::{mode_name, payment_modes};
use super::wire::{Ctx, Failure, decimal_param, fail, failure, ok};
use super::{FIRST_DHID, ROW_FAILURE_MSG, TOKEN_REJECTED_MSG};

/// The answer to one request's parameters (the server's handler, and the exerciser's corpus).
pub(super) fn dispatch(shared: &Shared, p: &HashMap<String, String>) -> Response {
    let act = p.get("act").map(String::as_str).unwrap_or("");
    let mut store = shared.lock();
    if act == "USERACCESS" {
        return store.user_access(p);
    }
    let user = match store.token_user(p) {
        Some(user) => user,
        None => return fail(TOKEN_REJECTED_MSG),
    };
    let ctx = Ctx { p, user: &user };
    if let Err(Failure(msg)) = limits::check(act, &ctx) {
        return fail(msg);
    }
    match act {
        "ODOC_NEW" => store.odoc_new(&ctx),
        "ODOC_MODIFY" => store.odoc_modify(&ctx),
        "ODOC_LIST" => store.odoc_list(&ctx),
        "DOCCHANGESTATE" => store.doc_change_state(&ctx),
        "ODOC_SETDATA" | "ODOC_CHECK" | "ODOC_GETDOC" | "ODOC_ITEMSALE" | "ODOC_BARCODESALE"
        | "ODOC_ITEMSETQTY" | "ODOC_ROWDEL" | "ODOC_GETPAYMODES" | "ODOC_SETPAYMENT"
        | "ODOC_ADDEVENT" | "ODOC_CANCEL" | "ODOC_COMPLETE" => store.on_open_document(act, &ctx),
        "" => fail("Missing act"),
        other => fail(format!("Unknown act: {other}")),
    }
}

impl Store {
    pub(super) fn odoc_new(&mut self, ctx: &Ctx<'_>) -> Response {
        let doctype = ctx.get("doctype").unwrap_or("");
        let docst = ctx.get("docst").unwrap_or("");
        let allowed = self
            .privileges
            .iter()
            .any(|(t, states)| t == doctype && states.iter().any(|s| s == docst));
        if !allowed {
            return fail(format!(
                "NEW {doctype}.{docst} You do not have privileges to do this operation!"
            ));
        }
        let uid = format!("{:010}", self.next_uid);
        self.next_uid += 1;
        let mut body = Body::new(doctype, docst);
        if let Some(r) = ctx.get("related.dhid") {
            body.header.insert("related_dhid".into(), json!(r));
        }
        // The table's spelling (sic).
        if let Some(r) = ctx.get("realated.docuid") {
            body.header.insert("related_docuid".into(), json!(r));
        }
        self.docs.insert(
            uid.clone(),
            Doc {
                owner: ctx.user.to_owned(),
                dhid: None,
                saved: None,
                open: Some(body),
            },
        );
        ok(json!({ "docuid": uid }))
    }

    pub(super) fn odoc_modify(&mut self, ctx: &Ctx<'_>) -> Response {
        let uid = ctx.get("docuid").unwrap_or("");
        let Some(doc) = self.docs.get_mut(uid) else {
            return fail(format!("Document does not exist {uid}"));
        };
        let Some(saved) = doc.saved.clone() else {
            return fail(format!("Document does not exist {uid}"));
        };
        if doc.open.is_none() {
            doc.open = Some(saved);
        }
        doc.owner = ctx.user.to_owned();
        ok(json!({ "docuid": uid }))
    }

    pub(super) fn odoc_list(&self, ctx: &Ctx<'_>) -> Response {
        let list: Vec<Value> = self
            .docs
            .iter()
            .filter(|(_, d)| d.owner == ctx.user && d.open.is_some())
            .map(|(uid, _)| json!({ "docuid": uid }))
            .collect();
        ok(Value::Array(list))
    }

    pub(super) fn doc_change_state(&mut self, ctx: &Ctx<'_>) -> Response {
        let newstate = ctx.get("newstate").unwrap_or("");
        // The table: docuid, dhid or dochid, "(One of the 3)".
        let keys = ["docuid", "dhid", "dochid"]
            .into_iter()
            .filter(|k| ctx.get(k).is_some())
            .count();
        if keys > 1 {
            return fail("Only one of docuid, dhid or dochid may be given");
        }
        let key = if let Some(uid) = ctx.get("docuid") {
            self.docs
                .get(uid)
                .filter(|d| d.saved.is_some())
                .map(|_| uid.to_owned())
                .ok_or_else(|| uid.to_owned())
        } else if let Some(id) = ctx.get("dhid").or(ctx.get("dochid")) {
            let dhid = id.parse::<u64>().ok();
            self.docs
                .iter()
                .find(|(_, d)| d.dhid.is_some() && d.dhid == dhid)
                .map(|(uid, _)| uid.clone())
                .ok_or_else(|| id.to_owned())
        } else {
            Err(String::new())
        };
        let uid = match key {
            Ok(uid) => uid,
            Err(missing) => return fail(format!("Document does not exist {missing}")),
        };
        if !self.states.iter().any(|s| s == newstate) {
            return fail(format!("Invalid document state ID value: '{newstate}'"));
        }
        if let Some(doc) = self.docs.get_mut(&uid) {
            for body in [doc.saved.as_mut(), doc.open.as_mut()]
                .into_iter()
                .flatten()
            {
                body.docstate = newstate.to_owned();
            }
        }
        ok(Value::Null)
    }

    pub(super) fn on_open_document(&mut self, act: &str, ctx: &Ctx<'_>) -> Response {
        let uid = ctx.get("docuid").unwrap_or("").to_owned();
        let is_open = self
            .docs
            .get(&uid)
            .is_some_and(|d| d.owner == ctx.user && d.open.is_some());
        if !is_open {
            return fail(format!("Invalid UID: {uid}"));
        }
        let result = match act {
            "ODOC_CHECK" => Ok(Value::Null),
            "ODOC_GETDOC" => {
                let what = ctx.get("what").unwrap_or("3");
                return ok(self.render(&uid, ctx.user, what));
            }
            "ODOC_GETPAYMODES" => Ok(payment_modes()),
            "ODOC_SETDATA" => self.set_data(&uid, ctx),
            "ODOC_ITEMSALE" => self.item_sale(&uid, ctx),
            "ODOC_BARCODESALE" => self.barcode_sale(&uid, ctx),
            "ODOC_ITEMSETQTY" => self.set_qty(&uid, ctx),
            "ODOC_ROWDEL" => self.row_del(&uid, ctx),
            "ODOC_SETPAYMENT" => self.set_payment(&uid, ctx),
            "ODOC_ADDEVENT" => self.add_event(&uid, ctx),
            "ODOC_CANCEL" => {
                let keep = self.docs.get_mut(&uid).is_some_and(|d| {
                    d.open = None;
                    d.saved.is_some()
                });
                if !keep {
                    self.docs.remove(&uid);
                }
                return ok(Value::Null);
            }
            "ODOC_COMPLETE" => return self.complete(&uid, ctx),
            _ => Ok(Value::Null),
        };
        match result {
            Err(Failure(msg)) => fail(msg),
            Ok(data) if ctx.flag("getdoc") => {
                let mut data = match data {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                data.insert("getdocdata".into(), self.render(&uid, ctx.user, "3"));
                ok(Value::Object(data))
            }
            Ok(data) => ok(data),
        }
    }

    pub(super) fn set_data(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let objname = ctx.get("objname").unwrap_or("");
        let objdata: Value = serde_json::from_str(ctx.get("objdata").unwrap_or(""))
            .map_err(|e| failure(format!("Invalid objdata: {e}")))?;
        let mut header = None;
        let mut rows: Option<Vec<Value>> = None;
        let mut row = None;
        match (objname, objdata) {
            ("document", Value::Object(mut doc)) => {
                if let Some(Value::Object(h)) = doc.remove("header") {
                    header = Some(h);
                }
                if let Some(Value::Array(r)) = doc.remove("rows") {
                    rows = Some(r);
                }
            }
            ("header", Value::Object(h)) => header = Some(h),
            ("rows", Value::Array(r)) => rows = Some(r),
            ("row", Value::Object(r)) => row = Some(r),
            (name, _) => return Err(failure(format!("Invalid objname or objdata: {name}"))),
        }
        // Every attribute is checked before anything changes.
        if let Some(h) = &header {
            limits::check_header(h)?;
        }
        for m in rows
            .iter()
            .flatten()
            .filter_map(Value::as_object)
            .chain(&row)
        {
            limits::check_row(m)?;
        }
        if let Some(h) = header {
            let body = self.open_body(uid)?;
            for (k, v) in h {
                body.header.insert(k, v);
            }
        }
        if let Some(list) = rows {
            let mut built = Vec::new();
            for v in list {
                if let Value::Object(m) = v {
                    built.push(self.row_from_json(&m, None));
                }
            }
            self.open_body(uid)?.rows = built;
        }
        if let Some(m) = row {
            // "row - singular row, determined by the "rowno" attribute": an existing row, or the
            // next free one ("used for row identification during creation").
            let rowno = match m.get("rowno") {
                None | Some(Value::Null) => return Err(failure("rowno is required")),
                Some(v) => json_u64(v)
                    .and_then(|r| usize::try_from(r).ok())
                    .ok_or_else(|| failure(format!("Invalid rowno value: {v}")))?,
            };
            let rows = self.open_body(uid)?.rows.len();
            if !(1..=rows + 1).contains(&rowno) {
                return Err(failure(ROW_FAILURE_MSG));
            }
            let existing = self.open_body(uid)?.rows.get(rowno - 1).cloned();
            let built = self.row_from_json(&m, existing.clone());
            let body = self.open_body(uid)?;
            match existing {
                Some(_) => body.rows[rowno - 1] = built,
                None => body.rows.push(built),
            }
        }
        Ok(Value::Null)
    }

    pub(super) fn item_sale(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        // The table: batch_id or searchcode, "(One of the 2)".
        if ctx.get("batch_id").is_some() && ctx.get("searchcode").is_some() {
            return Err(failure("Only one of batch_id or searchcode may be given"));
        }
        let item = if let Some(batch) = ctx.get("batch_id") {
            let id = batch.parse::<u64>().ok();
            id.and_then(|b| self.item_by_batch(b))
                .ok_or_else(|| failure(format!("Batch not found: {batch}")))?
        } else if let Some(code) = ctx.get("searchcode") {
            self.catalogue
                .iter()
                .find(|i| i.searchcode == code)
                .cloned()
                .ok_or_else(|| failure(format!("Product not found: {code}")))?
        } else {
            return Err(failure("batch_id or searchcode is required"));
        };
        let quantity = decimal_param(ctx, "quantity")?.unwrap_or(Decimal::ONE);
        let price = decimal_param(ctx, "price")?;
        let rowno = row_param(ctx)?;
        let row = self.row_from_item(&item, quantity, price);
        let body = self.open_body(uid)?;
        // "Row number. (default next available)": an existing row's position, or the next one.
        match rowno {
            None => body.rows.push(row),
            Some(r) if (1..=body.rows.len() + 1).contains(&r) => body.rows.insert(r - 1, row),
            Some(_) => return Err(failure(ROW_FAILURE_MSG)),
        }
        Ok(Value::Null)
    }

    pub(super) fn barcode_sale(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let barcode = ctx.get("barcode").unwrap_or("");
        let item = self
            .catalogue
            .iter()
            .find(|i| i.barcode == barcode)
            .cloned()
            .ok_or_else(|| failure(format!("Barcode not found: {barcode}")))?;
        // "quantity INTEGER No quantity, if not defined quantity 1 is used".
        let quantity = match ctx.get("quantity") {
            None => Decimal::ONE,
            Some(v) => v
                .parse::<i64>()
                .map(Decimal::from)
                .map_err(|_| failure(format!("Invalid quantity value: {v}")))?,
        };
        // The table marks both required: "doinsert … 0 for row modifying, 1 for insertion",
        // "rowno … Row number where the item will be added".
        let insert = match ctx.get("doinsert") {
            Some("1") => true,
            Some("0") => false,
            Some(other) => return Err(failure(format!("Invalid doinsert value: {other}"))),
            None => return Err(failure("doinsert is required")),
        };
        let rowno = row_param(ctx)?.ok_or_else(|| failure("rowno is required"))?;
        let row = self.row_from_item(&item, quantity, None);
        let body = self.open_body(uid)?;
        if insert {
            if !(1..=body.rows.len() + 1).contains(&rowno) {
                return Err(failure(ROW_FAILURE_MSG));
            }
            body.rows.insert(rowno - 1, row);
        } else {
            match body.rows.get_mut(rowno.wrapping_sub(1)) {
                Some(slot) => *slot = row,
                None => return Err(failure(ROW_FAILURE_MSG)),
            }
        }
        Ok(Value::Null)
    }

    pub(super) fn set_qty(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let quantity = decimal_param(ctx, "quantity")?.ok_or_else(|| failure(ROW_FAILURE_MSG))?;
        let rowno = ctx
            .get("rowno")
            .and_then(|r| r.parse::<usize>().ok())
            .unwrap_or(0);
        let body = self.open_body(uid)?;
        let row = body
            .rows
            .get_mut(rowno.wrapping_sub(1))
            .ok_or_else(|| failure(ROW_FAILURE_MSG))?;
        row.quantity = quantity;
        Ok(Value::Null)
    }

    pub(super) fn row_del(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let rowno = ctx
            .get("rowno")
            .and_then(|r| r.parse::<usize>().ok())
            .unwrap_or(0);
        let body = self.open_body(uid)?;
        if rowno == 0 || rowno > body.rows.len() {
            return Err(failure(ROW_FAILURE_MSG));
        }
        body.rows.remove(rowno - 1);
        Ok(Value::Null)
    }

    pub(super) fn set_payment(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let mode = ctx.get("paymentmode").unwrap_or("").to_owned();
        if mode_name(&mode).is_empty() {
            return Err(failure(format!("Invalid payment mode: {mode}")));
        }
        // `limits` has checked the types and that paymenttype and amount are present.
        let kind = ctx.get("paymenttype").unwrap_or("").to_owned();
        let amount = decimal_param(ctx, "amount")?.ok_or_else(|| failure("amount is required"))?;
        let now = Local::now().naive_local();
        let id = self.next_id();
        let pay = Pay {
            mode,
            kind,
            amount,
            currency: ctx.get("currency_id").unwrap_or("EUR").to_owned(),
            // The example request's `paymentmodeex=""` means an empty value (spec notes).
            modeex: match ctx.get("paymentmodeex") {
                None | Some("\"\"") => String::new(),
                Some(ex) => ex.to_owned(),
            },
            additional_id: ctx.get("additional_id").unwrap_or("").to_owned(),
            datetime: ctx
                .get("paymentdatetime")
                .map(str::to_owned)
                .unwrap_or_else(|| now.format(DOTTED_DATE).to_string()),
            created: now,
            id,
        };
        let replace = ctx.flag("replaceamount");
        let body = self.open_body(uid)?;
        if replace {
            body.payments.retain(|p| p.mode != pay.mode);
        }
        body.payments.push(pay);
        Ok(Value::Null)
    }

    pub(super) fn add_event(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        if ctx.get("de_act").is_none() {
            return Err(failure("de_act is required"));
        }
        let mut event = Map::new();
        for key in [
            "de_act",
            "de_custevent",
            "de_comment",
            "de_data",
            "de_sourcetype_id",
            "de_source_id",
        ] {
            if let Some(v) = ctx.get(key) {
                event.insert(key.to_owned(), json!(v));
            }
        }
        self.open_body(uid)?.events.push(event);
        Ok(Value::Null)
    }

    pub(super) fn complete(&mut self, uid: &str, ctx: &Ctx<'_>) -> Response {
        let missing = match self.docs.get(uid).and_then(|d| d.open.as_ref()) {
            Some(body) => body.rows.iter().position(|r| r.batch_id.is_none()),
            None => return fail(format!("Invalid UID: {uid}")),
        };
        if let Some(i) = missing {
            return fail(format!(
                "Cannot save document! Document row {}: BACH_ID on NULL!",
                i + 1
            ));
        }
        let next = self.next_dhid;
        let Some(doc) = self.docs.get_mut(uid) else {
            return fail(format!("Invalid UID: {uid}"));
        };
        let dhid = match doc.dhid {
            Some(d) => d,
            None => {
                doc.dhid = Some(next);
                next
            }
        };
        if let Some(mut body) = doc.open.take() {
            if body.documentno.is_none() {
                body.documentno = Some(format!("{:06}-0TST1", dhid - FIRST_DHID + 1));
            }
            doc.saved = Some(body);
        }
        if dhid == next {
            self.next_dhid += 1;
        }
        if ctx.flag("getdoc") {
            let data = self.render(uid, ctx.user, "3");
            return ok(json!({ "dhid": dhid, "getdocdata": data }));
        }
        ok(json!({ "dhid": dhid }))
    }
}

/// The `rowno` parameter: `None` when absent, an error when it is not a number.
fn row_param(ctx: &Ctx<'_>) -> Result<Option<usize>, Failure> {
    match ctx.get("rowno") {
        None => Ok(None),
        Some(v) => v
            .parse::<usize>()
            .map(Some)
            .map_err(|_| failure(format!("Invalid rowno value: {v}"))),
    }
}
