//! Running each operation once against the sandbox: the setup it needs (a supplier, the claimed
//! temp purchase, a line to act on), then the call under the fault.

use std::sync::atomic::{AtomicU64, Ordering};

use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::{ExerciseSettings, Summary, unsupported};

use super::{EXERCISE_SUPPLIER, Outcome};
use crate::client::{
    Client, ClientBuilder, ContactInfo, Payment, ProductRef, SupplierFilter, VENDOR,
};
use crate::error::Error;
use crate::models::{DebtMethod, NewSupplier, PaymentMethod, Reason};
use crate::purchase::{EditTrans, ImportItem};
use crate::sandbox::{
    OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, Sandbox, SandboxSupplier, TEST_PASSWORD, TEST_TOKEN,
    TEST_USER, lock,
};

/// The person of [`TEST_TOKEN`].
const PERSON: &str = "1";

/// Makes names and notes unique across runs on one sandbox.
static RUN: AtomicU64 = AtomicU64::new(0);

fn done<T>(result: Result<T, Error>) -> Outcome {
    result.map(|_| ()).map_err(|e| Summary::from(&e))
}

/// Builds a client on the blocking pool: building one (TLS roots included) takes CPU time in
/// a debug build, and on the runtime's workers it would stall the sandboxes of the cells running
/// alongside, whose clients then time out on answers that were ready.
async fn build(builder: ClientBuilder) -> Result<Client, Summary> {
    match tokio::task::spawn_blocking(move || builder.build()).await {
        Ok(built) => built.map_err(|e| Summary::from(&e)),
        Err(e) => Err(Summary::from(&Error::config(format!(
            "building the client failed: {e}"
        )))),
    }
}

impl Sandbox {
    /// The current temp purchase of [`TEST_USER`](crate::sandbox::TEST_USER), started if there is none
    /// (as `GET /current` would): the id the temp-purchase operations' paths name.
    pub(super) fn exercise_trans_id(&self) -> String {
        lock(&self.shared.world).ensure_current(PERSON)
    }

    /// (Re)inserts [`EXERCISE_SUPPLIER`] with room for debt.
    fn exercise_supplier(&self) -> String {
        self.insert_supplier(SandboxSupplier {
            id: EXERCISE_SUPPLIER,
            name: "Nhà cung cấp thử".into(),
            searchkey: "NCC9001".into(),
            taxid: "0109001".into(),
            phone: "0900009001".into(),
            region: "Hà Nội".into(),
            city: "Ba Đình".into(),
            address: "1 Điện Biên Phủ".into(),
            visible: true,
            maxdebt: Decimal::from(1_000_000_000),
            curdebt: Decimal::ZERO,
        });
        EXERCISE_SUPPLIER.to_string()
    }

    async fn exercise_client(&self, settings: &ExerciseSettings) -> Result<Client, Summary> {
        let builder = settings
            .apply(self.client_builder())
            .bearer_token(TEST_TOKEN);
        build(builder).await
    }

    pub(super) async fn exercise(
        &self,
        op: &str,
        settings: &ExerciseSettings,
        inject: &(dyn Fn() + Send + Sync),
    ) -> Outcome {
        let n = RUN.fetch_add(1, Ordering::Relaxed);
        let err = |e: Error| Summary::from(&e);
        if op == "oauth-token" {
            let builder = settings.apply(self.client_builder()).oauth2_password(
                OAUTH_CLIENT_ID,
                Some(OAUTH_CLIENT_SECRET.into()),
                TEST_USER,
                TEST_PASSWORD,
            );
            let client = build(builder).await?;
            inject();
            return done(client.list_suppliers(&SupplierFilter::default()).await);
        }
        let client = self.exercise_client(settings).await?;
        let supplier = || self.exercise_supplier();
        match op {
            "suppliers list" => {
                inject();
                done(client.list_suppliers(&SupplierFilter::default()).await)
            }
            "suppliers create" => {
                let new = NewSupplier {
                    name: format!("Nhà cung cấp {n}"),
                    phone: Some("0912000000".into()),
                    region: None,
                    city: None,
                    address: None,
                };
                inject();
                done(client.create_supplier(&new).await)
            }
            "suppliers get" => {
                let id = supplier();
                inject();
                done(client.supplier(&id).await)
            }
            "suppliers delete" => {
                let id = supplier();
                inject();
                done(client.delete_supplier(&id).await)
            }
            "editName" => {
                let id = supplier();
                inject();
                done(client.edit_supplier_name(&id, &format!("Tên {n}")).await)
            }
            "editCode" => {
                let id = supplier();
                inject();
                done(
                    client
                        .edit_supplier_code(&id, &format!("K{n}"), &format!("T{n}"))
                        .await,
                )
            }
            "editVisible" => {
                let id = supplier();
                inject();
                done(client.edit_supplier_visible(&id, false).await)
            }
            "editMaxDebt" => {
                let id = supplier();
                inject();
                done(
                    client
                        .edit_supplier_max_debt(&id, Decimal::from(2_000_000_000))
                        .await,
                )
            }
            "updateCurdebt" => {
                let id = supplier();
                inject();
                let note = format!("lần {n}");
                done(
                    client
                        .update_supplier_debt(
                            &id,
                            DebtMethod::Debt,
                            Decimal::from(1000),
                            Some(&note),
                        )
                        .await,
                )
            }
            "editContactInfo" => {
                let id = supplier();
                let contact = ContactInfo {
                    phone: Some(format!("09{n:08}")),
                    city: Some("Đống Đa".into()),
                    ..ContactInfo::default()
                };
                inject();
                done(client.edit_supplier_contact(&id, &contact).await)
            }
            "supplier-purchase-temp list" => {
                inject();
                done(client.list_temp_purchases(None).await)
            }
            "supplier-purchase-temp get" => {
                let id = self.exercise_trans_id();
                inject();
                done(client.temp_purchase(&id).await)
            }
            "location-person" => {
                inject();
                done(client.location_person().await)
            }
            "current" => {
                // The claim comes first (the document's rule), then the read under the fault.
                let _claimed = client.claim_current().await.map_err(err)?;
                inject();
                done(client.current().await)
            }
            _ => self.exercise_temp(op, n, &client, inject).await,
        }
    }

    /// The temp-purchase writes: each claims the current temp purchase (and adds a line where
    /// the action needs one) before the fault.
    async fn exercise_temp(
        &self,
        op: &str,
        n: u64,
        client: &Client,
        inject: &(dyn Fn() + Send + Sync),
    ) -> Outcome {
        let err = |e: Error| Summary::from(&e);
        if !matches!(
            op,
            "addLine"
                | "editTrans"
                | "editUnits"
                | "editPricebuy"
                | "editUpdateProduct"
                | "deleteLine"
                | "importProduct"
                | "forwardTrans"
                | "createNewTrans"
                | "activeTrans"
                | "supplier-purchase-temp delete"
                | "supplier-purchase"
        ) {
            return Err(unsupported(VENDOR, op));
        }
        let id = self.exercise_trans_id();
        let mut trans = client.claim_current().await.map_err(err)?;
        if trans.id() != id {
            return Err(err(Error::validation(format!(
                "the exerciser expected temp purchase {id}, the sandbox answered {}",
                trans.id()
            ))));
        }
        let add = |trans: &crate::purchase::TempPurchase| {
            let trans = trans.clone();
            async move {
                trans
                    .add_line(ProductRef::Code("SP001".into()), Decimal::from(2))
                    .await
                    .map(|a| a.line.line_id)
                    .map_err(err)
            }
        };
        match op {
            "addLine" => {
                inject();
                done(
                    trans
                        .add_line(ProductRef::Code("SP002".into()), Decimal::from(3))
                        .await,
                )
            }
            "editTrans" => {
                let edit = EditTrans {
                    reason: Some(Reason::Purchase),
                    location_id: Some("1".into()),
                    supplier_id: Some("1".into()),
                    business_id: Some("10".into()),
                    note: Some(format!("ghi chú {n}")),
                };
                inject();
                done(trans.edit_trans(&edit).await)
            }
            "editUnits" => {
                let line = add(&trans).await?;
                inject();
                done(trans.edit_units(&line, Decimal::from(5)).await)
            }
            "editPricebuy" => {
                let line = add(&trans).await?;
                inject();
                done(trans.edit_pricebuy(&line, Decimal::from(125_000)).await)
            }
            "editUpdateProduct" => {
                let line = add(&trans).await?;
                inject();
                done(trans.edit_update_product(&line, true, false).await)
            }
            "deleteLine" => {
                let line = add(&trans).await?;
                inject();
                done(trans.delete_line(&line).await)
            }
            "importProduct" => {
                let items = [ImportItem {
                    reference: "SP003".into(),
                    units: Decimal::from(4),
                    pricebuy: Some(Decimal::from(80_000)),
                }];
                inject();
                done(trans.import_products(&items).await)
            }
            "forwardTrans" => {
                add(&trans).await?;
                inject();
                done(trans.forward("2").await)
            }
            "createNewTrans" => {
                inject();
                done(trans.create_new().await)
            }
            "activeTrans" => {
                // Park the current one (its id is the route's path), then activate it again.
                let _fresh = client.create_new_trans(&id).await.map_err(err)?;
                inject();
                done(client.activate_trans(&id).await)
            }
            "supplier-purchase-temp delete" => {
                inject();
                done(trans.delete().await)
            }
            _ => {
                let line = add(&trans).await?;
                trans
                    .edit_pricebuy(&line, Decimal::from(125_000))
                    .await
                    .map_err(err)?;
                let edit = EditTrans {
                    location_id: Some("1".into()),
                    supplier_id: Some("1".into()),
                    ..EditTrans::default()
                };
                trans.edit_trans(&edit).await.map_err(err)?;
                let payment = Payment {
                    method: PaymentMethod::Cash,
                    note: Some(format!("đơn {n}")),
                };
                inject();
                done(trans.place_order(payment).await)
            }
        }
    }
}
