//! [`Exercise`] for the NOOM sandbox: every act of `models::OPERATIONS` run once through a
//! fresh client, and the client's decoding of any answer, offline (issue 13: the fault matrix
//! and the decoder mutation test).
//!
//! Every act arrives on `POST /api/` and is told apart by its `act` parameter
//! ([`Sandbox::act`]). A run logs in first (except for `USERACCESS` itself) and opens, fills or
//! saves a document as the act needs, so the act's own request is the next one on its route
//! after `inject()`. Acts with a `getdoc=1` form are run and decoded in that form: it decodes the
//! most (the saved document in `data.getdocdata`).

use pos_client_core::Money;
use pos_client_core::http::StatusCode;
use pos_client_core::sandbox::{
    ExerciseSettings, Run, Sample, Summary, VendorExercise, unsupported,
};
use serde_json::json;

use super::{Route, SANDBOX_PASSWORD, Sandbox};
use crate::OpenDocument;
use crate::client::Client;
use crate::error::Error;
use crate::ids::{DocState, DocType, DocUid};
use crate::protocol::VENDOR;
use crate::requests::{BarcodeSale, Event, ItemSale, Payment, SetData};

mod corpus;
mod offline;

use corpus::{DOCUMENT_EXAMPLES, sandbox_answers};
use offline::Offline;

impl VendorExercise for Sandbox {
    fn route(&self, operation: &str) -> Route {
        Sandbox::act(operation)
    }

    async fn run(&self, run: Run<'_>) -> Result<(), Summary> {
        let (operation, settings, inject) = (run.operation, run.settings, run.inject);
        if !known(operation) {
            return Err(unsupported(VENDOR, operation));
        }
        self.exercise(operation, settings, inject)
            .await
            .map_err(|e| Summary::from(&e))
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
        let client = settings.apply(self.client_builder()).build()?;
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
