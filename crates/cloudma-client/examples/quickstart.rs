//! CloudMA quickstart: sync stock, push a sale of two synced products, push a purchase (GRN),
//! sync again and print what changed.
//!
//! With `CLOUDMA_BASE_URL` set it talks to that server, with the token from `CLOUDMA_TOKEN`:
//!
//! ```text
//! CLOUDMA_BASE_URL=https://testdev.cloudma.app/api/ CLOUDMA_TOKEN=… \
//!     cargo run -p cloudma-client --example cloudma_quickstart --features sandbox
//! ```
//!
//! Without it, it starts the crate's embedded sandbox and uses that. Product codes come from
//! the sync, never from constants, so it works against any server. It exits non-zero with the
//! error on failure.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use cloudma_client::Decimal;
use cloudma_client::models::{Purchase, Sale, SaleItem, StockLevel};
use cloudma_client::sandbox::Sandbox;
use cloudma_client::{Client, Money};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cloudma quickstart failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the sandbox alive for the whole run when we use it.
    let (client, _sandbox) = match std::env::var("CLOUDMA_BASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            println!("Using the CloudMA server at {}", url.trim());
            (Client::from_env()?, None)
        }
        _ => {
            let sandbox = Sandbox::start().await?;
            println!(
                "CLOUDMA_BASE_URL is not set: using the embedded sandbox at {}",
                sandbox.base_url()
            );
            (sandbox.client()?, Some(sandbox))
        }
    };

    println!("\n1. Sync stock");
    let before = client.sync_stock().await?;
    print_table(&before);
    let codes: Vec<&str> = before
        .iter()
        .map(|s| s.code.as_str())
        .filter(|c| !c.trim().is_empty())
        .take(2)
        .collect();
    let [first, second] = codes[..] else {
        return Err(format!(
            "the server lists {} active product(s); the quickstart needs two",
            codes.len()
        )
        .into());
    };

    // Unique references, so a rerun against a real server is not rejected as a duplicate.
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let price: Money = "2.50".parse()?;
    let sale = Sale::builder(format!("QS-SALE-{stamp}"))
        .customer("Quickstart Customer", "quickstart@example.com")
        .item(SaleItem::new(first, 2, price))
        .item(SaleItem::new(second, 1, price).with_discount("0.50".parse()?))
        .build()?;
    println!(
        "\n2. Push sale {}: 2 × {first} and 1 × {second} at {price}, grand total {}",
        sale.reference_no, sale.grand_total
    );
    let receipt = client.push_sale(&sale).await?;
    println!(
        "   accepted (HTTP {}){}",
        receipt.status.as_u16(),
        receipt
            .message
            .as_deref()
            .map(|m| format!(": {m}"))
            .unwrap_or_default()
    );

    let purchase = Purchase::builder(format!("QS-GRN-{stamp}"))
        .add(first, 5, "1.20".parse()?)
        .build()?;
    println!(
        "\n3. Push purchase (GRN) {}: 5 × {first} at 1.20, grand total {}",
        purchase.reference_no, purchase.grand_total
    );
    let receipt = client.push_purchase(&purchase).await?;
    println!("   accepted (HTTP {})", receipt.status.as_u16());

    println!("\n4. Sync again: what changed");
    let after = client.sync_stock().await?;
    print_changes(&before, &after);
    Ok(())
}

fn print_table(stock: &[StockLevel]) {
    println!("   {:<12} {:<28} {:>10}", "code", "name", "qty");
    for s in stock {
        println!(
            "   {:<12} {:<28} {:>10}",
            s.code,
            s.name.as_deref().unwrap_or("-"),
            shown(s.qty)
        );
    }
}

/// A quantity as printed: the server may list a product without one (unknown, not zero).
fn shown(qty: Option<Decimal>) -> String {
    qty.map_or_else(|| "unknown".to_owned(), |q| q.to_string())
}

fn print_changes(before: &[StockLevel], after: &[StockLevel]) {
    let old: BTreeMap<&str, Option<Decimal>> =
        before.iter().map(|s| (s.code.as_str(), s.qty)).collect();
    let mut changed = 0;
    for s in after {
        let was = old.get(s.code.as_str()).copied();
        if was != Some(s.qty) {
            changed += 1;
            match (was, s.qty) {
                (Some(Some(was)), Some(now)) => println!(
                    "   {:<12} {:>10} -> {:<10} ({:+})",
                    s.code,
                    was,
                    now,
                    now - was
                ),
                (Some(was), now) => {
                    println!("   {:<12} {:>10} -> {:<10}", s.code, shown(was), shown(now))
                }
                (None, now) => {
                    println!("   {:<12} {:>10} -> {:<10} (new)", s.code, "-", shown(now))
                }
            }
        }
    }
    if changed == 0 {
        println!("   no stock levels changed");
    }
}
