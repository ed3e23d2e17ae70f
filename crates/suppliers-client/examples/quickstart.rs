//! Suppliers quickstart: list suppliers, create one and read it back, take the first location,
//! claim the current temp purchase, add two products (2 and 3 units), choose the location and
//! the new supplier, set buy prices, read the temp purchase again, and order it paying cash.
//!
//! With `SUPPLIERS_BASE_URL` set it talks to that server, with the credentials of
//! `Client::from_env` (`SUPPLIERS_TOKEN`, or `SUPPLIERS_USER` and `SUPPLIERS_PASSWORD`):
//!
//! ```text
//! SUPPLIERS_BASE_URL=https://erp.example.vn/api/ SUPPLIERS_TOKEN=… \
//! SUPPLIERS_PRODUCT_CODES=SP001,SP002 \
//!     cargo run -p suppliers-client --example suppliers_quickstart --features sandbox
//! ```
//!
//! Without it, it starts the crate's embedded sandbox. `SUPPLIERS_PRODUCT_CODES` (two
//! comma-separated product codes) defaults to the sandbox's `SP001,SP002`. It exits non-zero
//! with the error on failure.

use std::process::ExitCode;

use suppliers_client::models::NewSupplier;
use suppliers_client::sandbox::Sandbox;
use suppliers_client::{Client, Decimal, EditTrans, Payment, ProductRef, SupplierFilter};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("suppliers quickstart failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the sandbox alive for the whole run when we use it.
    let (client, _sandbox) = match std::env::var("SUPPLIERS_BASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            println!("Using the Suppliers API at {}", url.trim());
            (Client::from_env()?, None)
        }
        _ => {
            let sandbox = Sandbox::start().await?;
            println!(
                "SUPPLIERS_BASE_URL is not set: using the embedded sandbox at {}",
                sandbox.base_url()
            );
            (sandbox.client()?, Some(sandbox))
        }
    };
    let codes: Vec<String> = std::env::var("SUPPLIERS_PRODUCT_CODES")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| "SP001,SP002".to_owned())
        .split(',')
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.len() < 2 {
        return Err("SUPPLIERS_PRODUCT_CODES must name two product codes".into());
    }

    let page = client.list_suppliers(&SupplierFilter::default()).await?;
    println!("Suppliers:");
    for s in page.embedded.map(|e| e.suppliers).unwrap_or_default() {
        println!("  {:>4}  {}", s.id, s.name.unwrap_or_default());
    }

    let created = client
        .create_supplier(&NewSupplier {
            name: "Công ty TNHH Thực phẩm Hòa Bình".into(),
            phone: Some("0912345678".into()),
            region: Some("Hà Nội".into()),
            city: Some("Đống Đa".into()),
            address: Some("12 Tôn Đức Thắng".into()),
        })
        .await?;
    let supplier = client.supplier(&created.id).await?;
    println!(
        "Created supplier {} {:?} ({:?}, {:?})",
        supplier.id, supplier.name, supplier.city, supplier.region
    );

    let locations = client.location_person().await?;
    let location = locations.first().ok_or("the user may choose no location")?;
    println!("Location: {} {}", location.id, location.name);

    let mut trans = client.claim_current().await?;
    println!("Current temp purchase: {}", trans.id());
    // Price the lines these calls answered (the claimed trans may already hold other lines).
    let mut priced = Vec::new();
    for ((code, units), price) in codes.iter().zip([2, 3]).zip([125_000, 48_500]) {
        let added = trans
            .add_line(ProductRef::Code(code.clone()), Decimal::from(units))
            .await?;
        println!(
            "  added {code}: line {} {:?} units {:?}",
            added.line.line_id, added.line.product_name, added.line.units
        );
        priced.push((added.line.line_id, price));
    }
    trans
        .edit_trans(&EditTrans {
            location_id: Some(location.id.clone()),
            supplier_id: Some(supplier.id.clone()),
            ..EditTrans::default()
        })
        .await?;
    for (line_id, price) in &priced {
        trans.edit_pricebuy(line_id, Decimal::from(*price)).await?;
    }

    trans.refresh().await?;
    println!(
        "Temp purchase {} at {:?} from {:?}:",
        trans.id(),
        trans.info().location_name,
        trans.info().supplier_name
    );
    for line in trans.lines() {
        println!(
            "  {:<8} {:<32} {:>4} × {:>10} VND",
            line.reference.clone().unwrap_or_default(),
            line.product_name.clone().unwrap_or_default(),
            line.units,
            line.pricebuy.unwrap_or_default()
        );
    }
    println!("Total: {} VND", trans.total());

    let id = trans.id().to_owned();
    let answer = trans
        .place_order(Payment::cash().with_note("quickstart"))
        .await?;
    println!(
        "Ordered temp purchase {id}: the server answered result {:?}{}",
        answer.result.as_deref().unwrap_or("(none)"),
        if answer.rest.is_empty() {
            String::new()
        } else {
            // Field names only: an answer's values are not the example's to print.
            let keys: Vec<_> = answer.rest.keys().collect();
            format!(", with the fields {}", keys.join(", "))
        }
    );
    Ok(())
}
