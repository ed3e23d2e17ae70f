//! Running each operation once through a Bearer client, with the seeded records it works on
//! put back first.

use std::sync::atomic::{AtomicU64, Ordering};

use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::{ExerciseSettings, Summary, unsupported};

use super::{Act, RECORD_ID, parse};
use crate::client::{Client, Resource};
use crate::error::Error;
use crate::protocol::VENDOR;
use crate::requests::{CustomerUpdate, InvoiceUpdate, NewCustomer, NewInvoice, RecordRequest};
use crate::sandbox::state::World;
use crate::sandbox::{Sandbox, lock};

/// Makes every created name, e-mail and reference unique in the process: one sandbox may run an
/// operation many times.
static NEXT: AtomicU64 = AtomicU64::new(1);

fn next() -> u64 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn setup_failed(what: &str) -> Summary {
    Summary {
        kind: "Setup",
        status: None,
        outcome_unknown: false,
        retryable: false,
        validation: false,
        display: format!("cloudonex exerciser: {what}"),
        debug: String::new(),
    }
}

impl Sandbox {
    /// A Bearer client for one run: the sandbox's key, the suite's retry policy and timeout.
    fn exercise_client(&self, settings: &ExerciseSettings) -> Result<Client, Error> {
        settings.apply(self.client_builder()).build()
    }

    /// Puts the seeded record `RECORD_ID` of `resource` back when an earlier run deleted it.
    fn restore_seeded(&self, resource: Resource) -> Result<(), Summary> {
        let mut world = lock(&self.state);
        let present = world
            .tables
            .get(&resource)
            .is_some_and(|t| t.rows.contains_key(&RECORD_ID));
        if present {
            return Ok(());
        }
        let seeded = World::new(Vec::new(), 0, true);
        let record = seeded
            .tables
            .get(&resource)
            .and_then(|t| t.rows.get(&RECORD_ID))
            .cloned()
            .ok_or_else(|| setup_failed("the seed has no record 1"))?;
        if let Some(table) = world.tables.get_mut(&resource) {
            table.rows.insert(RECORD_ID, record);
        }
        Ok(())
    }

    pub(super) async fn run_operation(
        &self,
        operation: &str,
        settings: &ExerciseSettings,
        inject: &(dyn Fn() + Send + Sync),
    ) -> Result<(), Summary> {
        let Some((_, act, resource)) = parse(operation) else {
            return Err(unsupported(VENDOR, operation));
        };
        // Invoices name customer 1; the record an operation reads, changes or deletes exists.
        if resource == Resource::Invoices {
            self.restore_seeded(Resource::Customers)?;
        }
        if act.has_id() {
            self.restore_seeded(resource)?;
        }
        let client = self.exercise_client(settings).map_err(Summary::from)?;
        let id = RECORD_ID.to_string();
        let n = next();
        let result = match (resource, act) {
            (_, Act::List) => {
                inject();
                match resource {
                    Resource::Customers => client.customers().list().await.map(drop),
                    Resource::Invoices => client.invoices().list().await.map(drop),
                    _ => client.records(resource).list().await.map(drop),
                }
            }
            (_, Act::Get) => {
                inject();
                match resource {
                    Resource::Customers => client.customers().get(&id).await.map(drop),
                    Resource::Invoices => client.invoices().get(&id).await.map(drop),
                    _ => client.records(resource).get(&id).await.map(drop),
                }
            }
            (_, Act::Delete) => {
                inject();
                client.records(resource).delete(&id).await
            }
            (Resource::Customers, Act::Create) => {
                let customer = NewCustomer::new(format!("Exercise customer {n}"))
                    .email(format!("exercise{n}@example.com"))
                    .phone(format!("555{n:06}"));
                inject();
                client.customers().create(&customer).await.map(drop)
            }
            (Resource::Customers, Act::Update) => {
                let update = CustomerUpdate::new().phone(format!("556{n:06}"));
                inject();
                client.customers().update(&id, &update).await.map(drop)
            }
            (Resource::Invoices, Act::Create) => {
                let invoice = NewInvoice::builder(id.clone())
                    .item(
                        format!("Exercise item {n}"),
                        Decimal::new(250, 2),
                        Decimal::TWO,
                    )
                    .reference(format!("EX-INV-{n}"))
                    .build()
                    .map_err(Summary::from)?;
                inject();
                client.invoices().create(&invoice).await.map(drop)
            }
            (Resource::Invoices, Act::Update) => {
                let update = InvoiceUpdate::new().field("note", format!("exercise {n}"));
                inject();
                client.invoices().update(&id, &update).await.map(drop)
            }
            (_, Act::Create) => {
                let record = RecordRequest::new()
                    .field("name", format!("Exercise {resource} {n}"))
                    .reference(format!("EX-{resource}-{n}"));
                inject();
                client.records(resource).create(&record).await.map(drop)
            }
            (_, Act::Update) => {
                let record = RecordRequest::new().field("note", format!("exercise {n}"));
                inject();
                client
                    .records(resource)
                    .update(&id, &record)
                    .await
                    .map(drop)
            }
        };
        result.map_err(Summary::from)
    }
}
