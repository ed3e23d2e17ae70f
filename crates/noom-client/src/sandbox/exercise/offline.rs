//! Offline decoding: the client's protocol and the post-processing of each act's method, run
//! over an answer without a server. The same functions as a live call: the core's
//! `read_answer` (the protocol's envelope reading and the error mapping), then the crate's own
//! checks on the `Response` (`acknowledged`, `data`, …).

use pos_client_core::http::{HeaderMap, StatusCode};
use pos_client_core::{Operation, Response, Session};

use crate::client::open_documents;
use crate::document::{modified_uid, new_uid, saved_document};
use crate::error::Error;
use crate::ids::DocUid;
use crate::models::{CompleteData, DocumentData, GetDocData, PaymentModes};
use crate::protocol::{Noom, ParamPlacement, acknowledged, required_data};
use crate::sandbox::{SANDBOX_PASSWORD, SANDBOX_USER};

/// The docuid named by the writes decoded offline (an outcome-unknown error names it, as a
/// live write names its document).
const OFFLINE_DOCUID: &str = "0000000000";

/// The client's protocol with the sandbox's credentials, for decoding without a server.
pub(super) struct Offline {
    noom: Noom,
}

impl Offline {
    pub(super) fn new() -> Self {
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
    /// only the operation's id, kind, reference and secrets).
    fn operation(&self, act: &'static str, read: bool) -> Operation {
        match act {
            "USERACCESS" => self.noom.login_operation(),
            _ if read => self.noom.act(act, true, Vec::new()),
            "ODOC_NEW" => self.noom.act(act, false, Vec::new()).reference("new LS.2T"),
            _ => self
                .noom
                .act(act, false, Vec::new())
                .reference(OFFLINE_DOCUID),
        }
    }

    /// What the client's method of `operation` makes of the answer.
    pub(super) fn decode(
        &self,
        operation: &str,
        status: StatusCode,
        body: &[u8],
    ) -> Result<(), Error> {
        let Some(spec) = crate::models::OPERATIONS
            .iter()
            .find(|op| op.name == operation)
        else {
            return Err(Error::validation(format!("unknown act `{operation}`")));
        };
        let act = spec.name;
        let op = self.operation(act, !spec.write);
        if act == "USERACCESS" {
            return self.noom.read_login(&op, status, body).map(drop);
        }
        let response: Response = pos_client_core::read_answer(
            &self.noom,
            &op,
            status,
            HeaderMap::new(),
            body.to_vec().into(),
        )?;
        // `Client::send`'s check, which every act passes through.
        acknowledged(&response)?;
        match act {
            "ODOC_LIST" => open_documents(&response).map(drop),
            "ODOC_NEW" => new_uid(&response).map(drop),
            "ODOC_MODIFY" => {
                let docuid = DocUid::new(OFFLINE_DOCUID)?;
                modified_uid(&response, &docuid).map(drop)
            }
            "ODOC_SETDATA" | "ODOC_ITEMSALE" | "ODOC_BARCODESALE" | "ODOC_ITEMSETQTY"
            | "ODOC_ROWDEL" | "ODOC_SETPAYMENT" => {
                let data: GetDocData = required_data(&response)?;
                saved_document(data.getdoc_data, &response).map(drop)
            }
            "ODOC_GETDOC" => required_data::<DocumentData>(&response).map(drop),
            "ODOC_GETPAYMODES" => {
                required_data::<PaymentModes>(&response)?;
                let data: GetDocData = required_data(&response)?;
                saved_document(data.getdoc_data, &response).map(drop)
            }
            "ODOC_COMPLETE" => {
                let data: CompleteData = required_data(&response)?;
                saved_document(data.getdoc_data, &response).map(drop)
            }
            // ODOC_CHECK, ODOC_ADDEVENT, ODOC_CANCEL, DOCCHANGESTATE: the envelope only.
            _ => Ok(()),
        }
    }
}
