//! CloudPOS quickstart: lists categories and products as a table, today's orders with totals
//! per payment method, and the number of customers.
//!
//! With `CLOUDPOS_BASE_URL` set it talks to that server with `CLOUDPOS_LICNAME` and
//! `CLOUDPOS_TOKEN` from the environment (it sends 3 requests of the daily 500); without it, it
//! starts the embedded sandbox.
//!
//! ```text
//! cargo run -p cloudpos-client --example cloudpos_quickstart --features sandbox
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use cloudpos_client::sandbox::Sandbox;
use cloudpos_client::{Client, Money, OrderFilter, Payments};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the sandbox alive for the whole run when we use it.
    let (client, _sandbox) = if std::env::var_os("CLOUDPOS_BASE_URL").is_some() {
        let client = Client::from_env()?;
        println!("CloudPOS at {}", client.base_url());
        (client, None)
    } else {
        let sandbox = Sandbox::start().await?;
        let client = sandbox.client()?;
        println!(
            "CloudPOS sandbox at {} (set CLOUDPOS_BASE_URL to use a real server)",
            sandbox.base_url()
        );
        (client, Some(sandbox))
    };

    // Categories and products: two requests.
    let categories = client.categories().await?;
    let products = client.products().await?;
    let category_names: BTreeMap<u64, &str> = categories
        .iter()
        .map(|c| (c.id, c.name.as_deref().unwrap_or("?")))
        .collect();
    println!();
    println!(
        "{:<6} {:<24} {:<18} {:>9} {:>8}",
        "id", "product", "category", "price", "stock"
    );
    println!("{}", "-".repeat(69));
    for p in &products {
        let category = p
            .category_id
            .and_then(|id| category_names.get(&id).copied())
            .unwrap_or("-");
        let price = p
            .price
            .map(|m| format!("{:.2}", m.amount()))
            .unwrap_or_else(|| "-".into());
        let stock = p
            .quantity
            .map(|q| q.to_string())
            .unwrap_or_else(|| "-".into());
        let name = p.name.as_deref().unwrap_or("?");
        println!(
            "{:<6} {name:<24} {category:<18} {price:>9} {stock:>8}",
            p.id
        );
    }
    println!(
        "{} products in {} categories",
        products.len(),
        categories.len()
    );

    // Today's orders: "today" is the server's day, in Europe/Brussels.
    let today = client.server_today();
    let orders = client.orders(&OrderFilter::new().date(today)).await?;
    println!();
    println!("Orders of {today}: {}", orders.len());
    for order in &orders {
        let time = order
            .order_time
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_else(|| "--:--".into());
        let kind = if order.is_clock_record() {
            " (clock-in/out)"
        } else {
            ""
        };
        println!(
            "  #{:<5} {time}  {:>3} line(s)  total {:>8}{kind}",
            order.id,
            order.lines.len(),
            order.total_price.unwrap_or_default()
        );
    }
    let totals: Payments = orders.iter().map(|o| o.payments).sum();
    println!("Totals by payment method:");
    for (method, amount) in totals.non_zero() {
        println!("  {:<18} {amount:>10}", method.label());
    }
    let total: Money = totals.total();
    println!("  {:<18} {total:>10}", "all methods");

    // Customers: one request.
    let customers = client.customers().await?;
    println!();
    println!("Customers: {}", customers.len());
    println!(
        "Requests used today: {} (of {}), remaining {}",
        client.quota_used(),
        client.daily_quota(),
        client.quota_remaining()
    );
    Ok(())
}
