//! [`Exercise`] for the NOOM sandbox: every act of `models::OPERATIONS` run once through a
//! fresh client, and the client's decoding of any answer, offline (issue 13: the fault matrix
//! and the decoder mutation test).
//!
//! Every act arrives on `POST /api/` and is told apart by its `act` parameter
//! ([`Sandbox::act`]). A run logs in first (except for `USERACCESS` itself) and opens, fills or
//! saves a document as the act needs, so the act's own request is the next one on its route
//! after `inject()`. Acts with a `getdoc=1` form are run and decoded in that form: it decodes the
//! most (the saved document in `data.getdocdata`).

use std::collections::HashMap;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use pos_client_core::error::BodySnippet;
use pos_client_core::http::{HeaderMap, StatusCode};
use pos_client_core::redact::redact_secrets;
use pos_client_core::sandbox::axum::body::HttpBody;
use pos_client_core::sandbox::{
    BoxFuture, Exercise, ExerciseSettings, Sample, SandboxServer, Summary, unsupported,
};
use pos_client_core::secrecy::ExposeSecret;
use pos_client_core::{
    Answer, Money, Operation, OperationSpec, Payload, Protocol, Session, Verdict,
};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::json;

use super::{Route, SANDBOX_PASSWORD, SANDBOX_USER, Sandbox, Shared};
use crate::OpenDocument;
use crate::client::Client;
use crate::error::Error;
use crate::ids::{DocState, DocType, DocUid};
use crate::models::{
    AccessTokenData, CompleteData, DocUidData, DocumentData, GetDocData, PaymentModes,
};
use crate::protocol::{Noom, ParamPlacement, VENDOR};
use crate::requests::{BarcodeSale, Event, ItemSale, Payment, SetData};

impl Exercise for Sandbox {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    fn operations(&self) -> &'static [OperationSpec] {
        crate::models::OPERATIONS
    }

    fn server(&self) -> &SandboxServer {
        &self.server
    }

    fn route(&self, operation: &str) -> Route {
        Sandbox::act(operation)
    }

    fn run<'a>(
        &'a self,
        operation: &'a str,
        settings: &'a ExerciseSettings,
        inject: &'a (dyn Fn() + Send + Sync),
    ) -> BoxFuture<'a, Result<(), Summary>> {
        Box::pin(async move {
            if !known(operation) {
                return Err(unsupported(VENDOR, operation));
            }
            self.exercise(operation, settings, inject)
                .await
                .map_err(|e| Summary::from(&e))
        })
    }

    fn decode(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Summary> {
        if !known(operation) {
            return Err(unsupported(VENDOR, operation));
        }
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Offline::new()
            .decode(operation, status, body)
            .map_err(|e| Summary::from(&e))
    }

    fn corpus(&self) -> Vec<Sample> {
        let mut samples: Vec<Sample> = DOCUMENT_EXAMPLES
            .iter()
            .map(|(op, body)| (*op, 200, body.as_bytes().to_vec()))
            .collect();
        samples.extend(sandbox_answers());
        samples
    }

    fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![SANDBOX_PASSWORD.to_owned()];
        secrets.extend(self.shared.lock().tokens.keys().cloned());
        secrets
    }
}

/// Whether `operation` is one of the spec notes' acts.
fn known(operation: &str) -> bool {
    crate::models::OPERATIONS
        .iter()
        .any(|op| op.name == operation)
}

impl Sandbox {
    /// Runs `operation` (known) once, after its set-up; `inject` right before its own request.
    ///
    /// The set-up (documents opened, filled, saved) goes through a second client with the
    /// default timeout, so a slow machine cannot fail it; the exercised client only logs in (a
    /// read, retried) before the act. Open documents belong to the user, so both clients reach
    /// them.
    async fn exercise(
        &self,
        operation: &str,
        settings: &ExerciseSettings,
        inject: &(dyn Fn() + Send + Sync),
    ) -> Result<(), Error> {
        let client = self
            .client_builder()
            .retry_policy(settings.retry.clone())
            .timeout(settings.timeout)
            .build()?;
        if operation == "USERACCESS" {
            inject();
            return client.login().await;
        }
        let setup = self.client()?;
        let uid = match operation {
            "ODOC_LIST" | "ODOC_NEW" => None,
            "ODOC_MODIFY" | "DOCCHANGESTATE" => Some(saved_document(&setup).await?),
            _ => {
                let doc = setup.new_document(&doctype()?, &docst()?).await?;
                if matches!(
                    operation,
                    "ODOC_ITEMSETQTY" | "ODOC_ROWDEL" | "ODOC_COMPLETE"
                ) {
                    doc.item_sale(&ItemSale::new().search_code("GA0004"))
                        .await?;
                }
                Some(doc.uid().clone())
            }
        };
        client.login().await?;
        match (operation, uid) {
            ("ODOC_LIST", _) => {
                inject();
                client.list_open_documents().await.map(drop)
            }
            ("ODOC_NEW", _) => {
                inject();
                client.new_document(&doctype()?, &docst()?).await.map(drop)
            }
            ("ODOC_MODIFY", Some(uid)) => {
                inject();
                client.modify_document(&uid, false).await.map(drop)
            }
            ("DOCCHANGESTATE", Some(uid)) => {
                let state = DocState::new("1")?;
                inject();
                client.change_state(&uid, &state, false).await
            }
            (_, Some(uid)) => on_open_document(client.document(uid), operation, inject).await,
            (other, None) => Err(Error::validation(format!(
                "the NOOM exerciser has no set-up for `{other}`"
            ))),
        }
    }
}

/// `LS`, the sales document type of the default privileges.
fn doctype() -> Result<DocType, Error> {
    DocType::new("LS")
}

/// `2T`, a type status `LS` allows.
fn docst() -> Result<DocState, Error> {
    DocState::new("2T")
}

/// A new saved document (one row, completed): its docuid.
async fn saved_document(client: &Client) -> Result<DocUid, Error> {
    let doc = client.new_document(&doctype()?, &docst()?).await?;
    doc.item_sale(&ItemSale::new().search_code("GA0004"))
        .await?;
    let uid = doc.uid().clone();
    doc.complete().await?;
    Ok(uid)
}

/// The acts on an open document, each in its `getdoc=1` form where it has one.
async fn on_open_document(
    doc: OpenDocument,
    operation: &str,
    inject: &(dyn Fn() + Send + Sync),
) -> Result<(), Error> {
    match operation {
        "ODOC_SETDATA" => {
            let data = SetData::Raw {
                objname: "header".to_owned(),
                objdata: json!({ "text": "exercise" }),
            };
            inject();
            doc.set_data_getdoc(&data).await.map(drop)
        }
        "ODOC_CHECK" => {
            inject();
            doc.check().await
        }
        "ODOC_GETDOC" => {
            inject();
            doc.get_full().await.map(drop)
        }
        "ODOC_ITEMSALE" => {
            let sale = ItemSale::new().search_code("GA0004");
            inject();
            doc.item_sale_getdoc(&sale).await.map(drop)
        }
        "ODOC_BARCODESALE" => {
            let sale = BarcodeSale::new("60100000", 1);
            inject();
            doc.barcode_sale_getdoc(&sale).await.map(drop)
        }
        "ODOC_ITEMSETQTY" => {
            inject();
            doc.set_quantity_getdoc(1, 2.into()).await.map(drop)
        }
        "ODOC_ROWDEL" => {
            inject();
            doc.delete_row_getdoc(1).await.map(drop)
        }
        "ODOC_GETPAYMODES" => {
            inject();
            doc.payment_modes_getdoc().await.map(drop)
        }
        "ODOC_SETPAYMENT" => {
            let payment = Payment::new("C", Money::new(1.into()));
            inject();
            doc.set_payment_getdoc(&payment).await.map(drop)
        }
        "ODOC_ADDEVENT" => {
            let event = Event::new("EXERCISE");
            inject();
            doc.add_event(&event).await
        }
        "ODOC_CANCEL" => {
            inject();
            doc.cancel().await
        }
        "ODOC_COMPLETE" => {
            inject();
            doc.complete_getdoc().await.map(drop)
        }
        other => Err(Error::validation(format!(
            "the NOOM exerciser has no set-up for `{other}`"
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// Offline decoding: the client's protocol and the post-processing of each act's method.

/// The client's protocol with the sandbox's credentials, for decoding without a server.
struct Offline {
    noom: Noom,
}

impl Offline {
    fn new() -> Self {
        Offline {
            noom: Noom {
                user: SANDBOX_USER.to_owned(),
                password: SANDBOX_PASSWORD.into(),
                placement: ParamPlacement::default(),
                session: Session::new(),
            },
        }
    }

    /// The operation as the client builds it for `act` (parameters do not matter to decoding,
    /// only the operation's id, kind and secrets).
    fn operation(&self, act: &'static str, read: bool) -> Operation {
        let op = self.noom.act(act, read, Vec::new());
        if act == "USERACCESS" {
            op.answer_carries_secret()
        } else {
            op
        }
    }

    /// What the client's method of `operation` makes of the answer.
    fn decode(&self, operation: &str, status: StatusCode, body: &[u8]) -> Result<(), Error> {
        let Some(spec) = crate::models::OPERATIONS
            .iter()
            .find(|op| op.name == operation)
        else {
            return Err(Error::validation(format!("unknown act `{operation}`")));
        };
        let act = spec.name;
        let op = self.operation(act, !spec.write);
        let answer = Answered {
            op: &op,
            status,
            body,
            password: self.noom.password.expose_secret(),
        };
        let payload = self.conclude(&answer)?;
        match act {
            "USERACCESS" => {
                let data: AccessTokenData = self.required(&answer, &payload)?;
                if data.access_token.trim().is_empty() {
                    return Err(answer.decode_error("USERACCESS returned an empty access token"));
                }
                Ok(())
            }
            "ODOC_LIST" => {
                type List = pos_client_core::serde_with::de::DeserializeAsWrap<
                    Vec<DocUidData>,
                    pos_client_core::encoding::OneOrMany,
                >;
                let Some(list) = self.data::<List>(&answer, &payload)? else {
                    return Ok(());
                };
                for d in list.into_inner() {
                    DocUid::new(d.doc_uid.trim())
                        .map_err(|e| answer.decode_error(e.to_string()))?;
                }
                Ok(())
            }
            "ODOC_NEW" => {
                let data: DocUidData = self.required(&answer, &payload)?;
                DocUid::new(data.doc_uid.trim())
                    .map(drop)
                    .map_err(|e| answer.decode_error(e.to_string()))
            }
            "ODOC_MODIFY" => match self.data::<DocUidData>(&answer, &payload) {
                Ok(Some(d)) if !d.doc_uid.trim().is_empty() => DocUid::new(d.doc_uid.trim())
                    .map(drop)
                    .map_err(|e| answer.decode_error(e.to_string())),
                _ => Ok(()),
            },
            "ODOC_SETDATA" | "ODOC_ITEMSALE" | "ODOC_BARCODESALE" | "ODOC_ITEMSETQTY"
            | "ODOC_ROWDEL" | "ODOC_SETPAYMENT" => {
                let data: GetDocData = self.required(&answer, &payload)?;
                answer.saved(data.getdoc_data.as_ref())
            }
            "ODOC_GETDOC" => self.required::<DocumentData>(&answer, &payload).map(drop),
            "ODOC_GETPAYMODES" => {
                self.required::<PaymentModes>(&answer, &payload)?;
                let data: GetDocData = self.required(&answer, &payload)?;
                answer.saved(data.getdoc_data.as_ref())
            }
            "ODOC_COMPLETE" => {
                let data: CompleteData = self.required(&answer, &payload)?;
                answer.saved(data.getdoc_data.as_ref())
            }
            // ODOC_CHECK, ODOC_ADDEVENT, ODOC_CANCEL, DOCCHANGESTATE: the envelope only.
            _ => Ok(()),
        }
    }

    /// The pipeline's verdict: the payload of a success, or the error a live call gives
    /// (through the core's own mapping, `decode_answer`).
    fn conclude(&self, answer: &Answered<'_>) -> Result<Payload, Error> {
        let headers = HeaderMap::new();
        let verdict = self.noom.interpret(&Answer {
            operation: answer.op.id(),
            status: answer.status,
            headers: &headers,
            body: answer.body,
        });
        match verdict {
            Verdict::Success(payload) => Ok(payload),
            Verdict::Failure(_) => Err(self
                .decode_with::<IgnoredAny>(answer)
                .err()
                .unwrap_or_else(|| answer.decode_error("a failed answer decoded"))),
        }
    }

    /// [`pos_client_core::decode_answer`] of the answer into `T`.
    fn decode_with<T: DeserializeOwned>(&self, answer: &Answered<'_>) -> Result<T, Error> {
        pos_client_core::decode_answer::<Noom, T>(
            &self.noom,
            answer.op,
            answer.status,
            HeaderMap::new(),
            answer.body.to_vec().into(),
        )
    }

    /// The client's `protocol::data`: `None` without `data`, an error for a body that is no
    /// envelope, else the decoded `data`.
    fn data<T: DeserializeOwned>(
        &self,
        answer: &Answered<'_>,
        payload: &Payload,
    ) -> Result<Option<T>, Error> {
        match payload {
            Payload::Nothing => Ok(None),
            Payload::Whole => {
                Err(answer.decode_error("expected a NOOM envelope with `status` 1 or 0"))
            }
            Payload::Part(_) => self.decode_with::<T>(answer).map(Some),
        }
    }

    /// The client's `protocol::required_data`.
    fn required<T: DeserializeOwned>(
        &self,
        answer: &Answered<'_>,
        payload: &Payload,
    ) -> Result<T, Error> {
        self.data(answer, payload)?
            .ok_or_else(|| answer.decode_error("`data` is missing or null"))
    }
}

/// The longest decode message kept (as the core bounds `Response::decode_error`'s).
const MAX_MESSAGE: usize = 1024;

/// One answer being decoded offline.
struct Answered<'a> {
    op: &'a Operation,
    status: StatusCode,
    body: &'a [u8],
    password: &'a str,
}

impl Answered<'_> {
    /// A decode error as `Response::decode_error` makes it (bounded, redacted, snippet withheld
    /// for an answer that carries a credential).
    fn decode_error(&self, message: impl Into<String>) -> Error {
        let secret = self.op.id().name == "USERACCESS";
        let (message, body) = if secret {
            (
                "the answer does not have the expected shape (details withheld: it carries a credential)"
                    .to_owned(),
                BodySnippet::withheld(),
            )
        } else {
            let mut message = redact_secrets(&message.into(), &[self.password]);
            if message.len() > MAX_MESSAGE {
                let mut end = MAX_MESSAGE;
                while !message.is_char_boundary(end) {
                    end -= 1;
                }
                message.truncate(end);
                message.push('…');
            }
            (message, BodySnippet::new(self.body, &[self.password]))
        };
        Error::Decode {
            operation: self.op.id(),
            status: self.status,
            message,
            body,
        }
    }

    /// The client's check that a `getdoc=1` answer carries `data.getdocdata`.
    fn saved(&self, doc: Option<&DocumentData>) -> Result<(), Error> {
        doc.map(drop)
            .ok_or_else(|| self.decode_error("getdoc=1 was sent but `data.getdocdata` is missing"))
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus

/// The vendor document's example answers, per act (the USERACCESS example with its keys quoted:
/// the document prints them bare, which no JSON decoder reads).
const DOCUMENT_EXAMPLES: &[(&str, &str)] = &[
    (
        "USERACCESS",
        r#"{"status": 1, "msg": "", "time": 0.281, "data": {"accesstoken": "xxxxxxxxxxxxxxxx"}}"#,
    ),
    (
        "USERACCESS",
        r#"{"status": 0, "msg": "Invalid user or password!", "time": 1.006, "data": null}"#,
    ),
    (
        "ODOC_NEW",
        r#"{"status": 0, "msg": "NEW LS.2T You do not have privileges to do this operation!", "time": 0.269, "data": null}"#,
    ),
    (
        "ODOC_NEW",
        r#"{"status": 1, "msg": "", "time": 0.031, "data": {"docuid": "0001077484" }}"#,
    ),
    (
        "ODOC_MODIFY",
        r#"{"status": 1, "msg": "", "time": 0.047, "data": {"docuid": "0003443324" }}"#,
    ),
    (
        "ODOC_MODIFY",
        r#"{"status": 0, "msg": "Document does not exist 0003443324x", "time": 0.062, "data": null}"#,
    ),
    (
        "ODOC_SETDATA",
        r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#,
    ),
    (
        "ODOC_CHECK",
        r#"{"status": 1, "msg": "", "time": 0.046, "data": null}"#,
    ),
    (
        "ODOC_CHECK",
        r#" {"status": 0, "msg": "Invalid UID: 000344332", "time": 0.046, "data": null}"#,
    ),
    (
        "ODOC_LIST",
        r#"{"status": 1, "msg": "", "time": 0.257, "data": [ {"docuid": "0001077482" }, {"docuid": "0001077552" } ]}"#,
    ),
    ("ODOC_GETDOC", GETDOC_EXAMPLE),
    (
        "ODOC_GETDOC",
        r#" {"status": 0, "msg": "Invalid UID: 0003443324", "time": 0.047, "data": null}"#,
    ),
    (
        "ODOC_ITEMSALE",
        r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#,
    ),
    (
        "ODOC_BARCODESALE",
        r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#,
    ),
    (
        "ODOC_ITEMSETQTY",
        r#"{"status": 0, "msg": "Request sent and answer received.", "time": 0.031, "data": null}"#,
    ),
    (
        "ODOC_ROWDEL",
        r#"{"status": 0, "msg": "Request sent and answer received.", "time": 0.031, "data": null}"#,
    ),
    (
        "ODOC_GETPAYMODES",
        r#" {"status": 1, "msg": "", "time": 0.047, "data": {"paymodescondition": "C,B,G,U", "partialpayment": 1, "nopayment": 1, "paymentmodes": [ {"id": "C", "name": "Cash", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" }, {"id": "B", "name": "Bank Card", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" }, {"id": "U", "name": "Customer Card", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" }, {"id": "G", "name": "Gift certificate", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" } ] }}"#,
    ),
    (
        "ODOC_GETPAYMODES",
        r#" {"status": 0, "msg": "Invalid UID: 0003443324", "time": 0.047, "data": null}"#,
    ),
    (
        "ODOC_SETPAYMENT",
        r#"{"status": 0, "msg": "Invalid UID: 000344332", "time": 0.031, "data": null}"#,
    ),
    (
        "ODOC_ADDEVENT",
        r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#,
    ),
    (
        "ODOC_CANCEL",
        r#"{"status": 1, "msg": "", "time": 0.264, "data": null}"#,
    ),
    (
        "ODOC_CANCEL",
        r#"{"status": 0, "msg": "Invalid UID: 0001077482", "time": 0.031, "data": null}"#,
    ),
    (
        "ODOC_COMPLETE",
        r#"{ "status": 1, "msg": "", "time": 0.254, "data": { "dhid": 1077484 } }"#,
    ),
    (
        "ODOC_COMPLETE",
        r#"{"status": 0, "msg": "Cannot save document! Document row 1: BACH_ID on NULL!", "time": 0.25, "data": null}"#,
    ),
    (
        "DOCCHANGESTATE",
        r#"{ "status": 1, "msg": "", "time": 0.047, "data": null}"#,
    ),
    (
        "DOCCHANGESTATE",
        r#"{ "status": 0, "msg": "Invalid document state ID value: '2'", "time": 0.032, "data": null}"#,
    ),
];

/// The vendor document's `ODOC_GETDOC` success example, whole.
const GETDOC_EXAMPLE: &str = r#"{"status": 1, "msg": "", "time": 0.844, "data": {"amount": 15.00, "amounttopay": 15.00, "document": {"documentname": "Test document", "company": {"searchcode": "27864", "regno": "10000000", "name": "TEST", "address": "TEST 7", "vatregno": "EE1000000", "wwwaddr": "www.test.ee", "address1": "Test 7", "address2": "", "city": "Tallinn", "zip": "60000", "county": "Harjumaa", "country_id": "EST" }, "header": {"id": "3443324", "doctype_id": "LV", "status_id": "12", "location_id": "TST", "datetime": "03.03.2020 15:32:22", "documentno": "000002-0TST1", "location": {"searchcode": "TST", "name": "Test äri", "address": "TEST", "address1": "Test", "city": "Tallinn", "zip": "60000", "county": "Harjumaa", "country_id": "EST" }, "locationcontact": {"name": "Astro Test 2", "phone": "55667788", "email": "test@noom.ee", "searchcode": "34694" }, "customer_id": 1, "customer": {"searchcode": "ASTRO", "regno": "10386779", "name": "Astro Baltics OÜ", "address": "Raatuse tn 20, Tartu linn Tartu linn 51009 EST", "vatregno": "EE100042395", "wwwaddr": "www.noom.ee", "address1": "Raatuse tn 20, Tartu linn", "city": "Tartu linn", "zip": "51009", "county": "Tartu maakond", "country_id": "EST" }, "object_id": "TESH", "currency_id": "EUR", "language_id": "ET", "docstate_id": "K", "additional13": "123", "ref_testref": "123", "unique_id": "0003443324", "stockdirection": "O", "stockentrytype": "O", "creationdatetime": "03.03.2020 15:32:22", "cardprocesstype": "0", "ledgeroperation": "LV6", "sent": "", "workplace_id": "TEST", "user_id": "APITEST", "pos_id": "", "table_id": "", "disableledgerop": "", "remotedocheader_id": "", "opentable": "", "shift_id": "", "disablestockop": "", "disableledgerop2": "", "person_id": "" }, "rows": {"row": {"id": "22359320", "batch_id": 34463, "product_id": 15848, "quantity": 5, "price": 3, "amount": 15, "price1": 6.5, "priceclassprice": 6.5, "measurunit_id": "TK", "searchcode": "601264", "batchname": "T", "text": "Test (Tst)", "vat_id": "20", "group_id": "Test", "netprice": 2.5, "pricefixed": "+", "unique_id": "0022359320", "service": "-", "barcode": "60104410", "netamount": 12.5, "vatrate": 20, "vatamount": 2.5, "producerprodcode": "28.11", "supplier_id": "40", "recipe_id": "0", "transactiontime": "03.03.2020 16:31:57" } }, "payments": {"payment": {"paymentdatetime": "03.03.2020", "paymenttype": "P", "paymenttypename": "Payment", "paymentmode": "B", "paymentmodename": "Bank Card", "paymentmodeex": "", "amount": "15,00", "amountincurrency": "15,00", "currency_id": "EUR", "text": "", "creationdatetime": "03.03.2020 16:48:38", "unique_id": "0002164897", "location_id": "TST", "workplace_id": "Test", "user_id": "APITEST" } } } }}"#;

/// The sandbox's own answers to a scripted session (every act, successes and failures), taken
/// from its handler without a server: a fresh default sandbox state.
fn sandbox_answers() -> Vec<Sample> {
    let shared = Sandbox::builder().shared();
    let mut out = Vec::new();
    let mut call = |act: &'static str, params: &[(&str, &str)]| {
        let mut p: HashMap<String, String> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        p.insert("act".to_owned(), act.to_owned());
        let (status, body) = answer_of(&shared, &p);
        out.push((act, status, body.clone()));
        serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_default()
    };
    let text = |v: &serde_json::Value, key: &str| {
        v.pointer(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    call("USERACCESS", &[("user", SANDBOX_USER), ("pass", "wrong")]);
    let login = call(
        "USERACCESS",
        &[("user", SANDBOX_USER), ("pass", SANDBOX_PASSWORD)],
    );
    let token = text(&login, "/data/accesstoken");
    let t = token.as_str();
    call("ODOC_LIST", &[("accesstoken", "expired")]);
    call(
        "ODOC_NEW",
        &[("accesstoken", t), ("doctype", "LS"), ("docst", "9")],
    );
    let new = call(
        "ODOC_NEW",
        &[("accesstoken", t), ("doctype", "LS"), ("docst", "2T")],
    );
    let uid = text(&new, "/data/docuid");
    let d = |extra: &[(&'static str, &'static str)]| {
        let mut p = vec![("accesstoken", t.to_owned()), ("docuid", uid.clone())];
        p.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        p
    };
    let mut on_doc = |act: &'static str, extra: &[(&'static str, &'static str)]| {
        let p = d(extra);
        let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        call(act, &refs)
    };
    on_doc(
        "ODOC_ITEMSALE",
        &[("searchcode", "GA0004"), ("getdoc", "1")],
    );
    on_doc(
        "ODOC_BARCODESALE",
        &[
            ("barcode", "60104410"),
            ("doinsert", "1"),
            ("rowno", "2"),
            ("quantity", "5"),
            ("getdoc", "1"),
        ],
    );
    on_doc(
        "ODOC_SETDATA",
        &[
            ("objname", "header"),
            ("objdata", r#"{"customer_id":1,"text":"x"}"#),
            ("getdoc", "1"),
        ],
    );
    on_doc(
        "ODOC_ITEMSETQTY",
        &[("rowno", "1"), ("quantity", "2,5"), ("getdoc", "1")],
    );
    on_doc("ODOC_ITEMSETQTY", &[("rowno", "9"), ("quantity", "1")]);
    on_doc("ODOC_ITEMSALE", &[("batch_id", "58"), ("getdoc", "1")]);
    on_doc("ODOC_ROWDEL", &[("rowno", "3"), ("getdoc", "1")]);
    on_doc("ODOC_ROWDEL", &[("rowno", "9")]);
    on_doc("ODOC_CHECK", &[]);
    on_doc("ODOC_GETDOC", &[("what", "1")]);
    on_doc("ODOC_GETDOC", &[("what", "2")]);
    on_doc("ODOC_GETDOC", &[("what", "3")]);
    on_doc("ODOC_GETPAYMODES", &[("getdoc", "1")]);
    on_doc(
        "ODOC_SETPAYMENT",
        &[
            ("paymentmode", "C"),
            ("paymenttype", "P"),
            ("amount", "5,00"),
            ("getdoc", "1"),
        ],
    );
    on_doc(
        "ODOC_SETPAYMENT",
        &[
            ("paymentmode", "B"),
            ("paymenttype", "P"),
            ("amount", "10"),
            ("getdoc", "1"),
        ],
    );
    on_doc(
        "ODOC_ADDEVENT",
        &[
            ("de_act", "TEST"),
            ("de_sourcetype_id", "API"),
            ("de_source_id", "1"),
        ],
    );
    on_doc("ODOC_COMPLETE", &[("getdoc", "1")]);
    on_doc("ODOC_CHECK", &[]);
    call("ODOC_LIST", &[("accesstoken", t)]);
    let u = uid.as_str();
    call(
        "ODOC_MODIFY",
        &[("accesstoken", t), ("docuid", u), ("local", "0")],
    );
    call(
        "ODOC_MODIFY",
        &[("accesstoken", t), ("docuid", "0000000001"), ("local", "0")],
    );
    call("ODOC_LIST", &[("accesstoken", t)]);
    call("ODOC_CANCEL", &[("accesstoken", t), ("docuid", u)]);
    call("ODOC_CANCEL", &[("accesstoken", t), ("docuid", u)]);
    call(
        "DOCCHANGESTATE",
        &[("accesstoken", t), ("docuid", u), ("newstate", "K")],
    );
    call(
        "DOCCHANGESTATE",
        &[("accesstoken", t), ("docuid", u), ("newstate", "2")],
    );
    let blank = call(
        "ODOC_NEW",
        &[("accesstoken", t), ("doctype", "LS"), ("docst", "0")],
    );
    let blank_uid = text(&blank, "/data/docuid");
    call(
        "ODOC_SETDATA",
        &[
            ("accesstoken", t),
            ("docuid", &blank_uid),
            ("objname", "rows"),
            ("objdata", r#"[{"object_id":"PSTM"}]"#),
        ],
    );
    call(
        "ODOC_COMPLETE",
        &[("accesstoken", t), ("docuid", &blank_uid)],
    );
    call("ODOC_LIST", &[("accesstoken", t)]);
    out
}

/// The sandbox handler's answer to `params`: status and body, read without a runtime (the
/// handler's JSON bodies are complete at once).
fn answer_of(shared: &Shared, params: &HashMap<String, String>) -> (u16, Vec<u8>) {
    let response = super::dispatch(shared, params);
    let status = response.status().as_u16();
    let mut body = pin!(response.into_body());
    let mut out = Vec::new();
    let mut cx = Context::from_waker(Waker::noop());
    while let Poll::Ready(Some(Ok(frame))) = body.as_mut().poll_frame(&mut cx) {
        if let Ok(data) = frame.into_data() {
            out.extend_from_slice(&data);
        }
    }
    (status, out)
}
