//! CloudOnex quickstart: list products, count customers, create a customer and read it back,
//! invoice it for two listed products, read the invoice back and check its total, print the
//! rate-limit state.
//!
//! With `CLOUDONEX_BASE_URL` set it talks to that server (key from `CLOUDONEX_API_KEY`):
//!
//! ```text
//! CLOUDONEX_BASE_URL=https://your-domain.com/api/v2/ CLOUDONEX_API_KEY=… \
//!     cargo run -p cloudonex-client --features sandbox --example cloudonex_quickstart
//! ```
//!
//! Without it, it starts the embedded sandbox. Everything comes from the server: product names
//! and prices from the product list, the customer id from the create answer, the totals from
//! the invoice answers. It exits non-zero with the error on failure.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use cloudonex_client::sandbox::Sandbox;
use cloudonex_client::{Client, Decimal, NewCustomer, NewInvoice, RecordExt};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cloudonex quickstart failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the sandbox alive for the whole run when we use it.
    let (client, _sandbox) = match std::env::var("CLOUDONEX_BASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            println!("Using the CloudOnex server at {}", url.trim());
            (Client::from_env()?, None)
        }
        _ => {
            let sandbox = Sandbox::start().await?;
            println!(
                "CLOUDONEX_BASE_URL is not set: using the embedded sandbox at {}",
                sandbox.base_url()
            );
            (sandbox.client()?, Some(sandbox))
        }
    };

    println!("\n1. Products");
    let products: Vec<_> = client.products().list_all().try_collect().await?;
    println!("{:<8} {:<32} {:>10}", "id", "name", "price");
    for p in &products {
        let price = p
            .decimal("price")
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<8} {:<32} {:>10}",
            p.id,
            p.text("name").unwrap_or_default(),
            price
        );
    }
    let priced: Vec<(String, Decimal)> = products
        .iter()
        .filter_map(|p| Some((p.text("name")?, p.decimal("price")?)))
        .take(2)
        .collect();
    let [(name_a, price_a), (name_b, price_b)] = priced.as_slice() else {
        return Err("the server lists fewer than two products with a name and a price".into());
    };

    println!("\n2. Customers");
    let count = client
        .customers()
        .list_all()
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await?;
    println!("{count} customers");

    println!("\n3. Create a customer");
    let run_id = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let new = NewCustomer::new(format!("Quickstart {run_id}"))
        .email(format!("quickstart+{run_id}@example.com"))
        .phone("1234567890");
    // A server may accept a create without returning the record: never create it again then.
    let created = client
        .customers()
        .create(&new)
        .await?
        .into_record()
        .ok_or("the server accepted the customer without returning it")?;
    println!("created customer {}", created.id);
    let read = client.customers().get(&created.id).await?;
    println!(
        "read back: {} <{}> {}",
        read.account.as_deref().unwrap_or("-"),
        read.email.as_deref().unwrap_or("-"),
        read.phone.as_deref().unwrap_or("-")
    );

    println!("\n4. Invoice it");
    let invoice = NewInvoice::builder(&created.id)
        .item(name_a, *price_a, Decimal::ONE)
        .item(name_b, *price_b, Decimal::TWO)
        .reference(format!("quickstart-{run_id}"))
        .build()?;
    let expected = invoice.total();
    let made = client
        .invoices()
        .create(&invoice)
        .await?
        .into_record()
        .ok_or("the server accepted the invoice without returning it")?;
    let made_total = made
        .decimal("total")
        .ok_or("the invoice answer has no total")?;
    println!("invoice {} total {made_total}", made.id);
    let again = client.invoices().get(&made.id).await?;
    let read_total = again.decimal("total").ok_or("the invoice has no total")?;
    println!(
        "read back: invoice {} total {read_total} (expected {expected})",
        again.id
    );
    if read_total != expected {
        return Err(
            format!("the invoice total {read_total} is not the exact sum {expected}").into(),
        );
    }

    println!("\n5. Rate limit");
    match client.rate_limit() {
        Some(info) => println!(
            "remaining {} of {} (resets at {})",
            info.remaining.map_or("?".into(), |n| n.to_string()),
            info.limit.map_or("?".into(), |n| n.to_string()),
            info.reset_at.map_or("?".into(), |t| t.to_rfc3339()),
        ),
        None => println!("the server sent no rate-limit headers"),
    }
    Ok(())
}
