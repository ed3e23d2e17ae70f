//! NOOM quickstart: log in, open a sales document, add two items, pay the document's total with
//! a payment mode that ODOC_GETPAYMODES offers, complete it, and print the dhid with the saved
//! document's rows and totals.
//!
//! With `NOOM_BASE_URL` set it talks to that server, with `NOOM_USER` and `NOOM_PASSWORD`:
//!
//! ```text
//! NOOM_BASE_URL=https://noom.example.com:8443/api/ NOOM_USER=… NOOM_PASSWORD=… \
//!     cargo run -p noom-client --example noom_quickstart --features sandbox
//! ```
//!
//! Without it, it starts the crate's embedded sandbox and uses that. The document type, state,
//! item search codes and payment mode have defaults that work on the sandbox and can be
//! overridden: `NOOM_DOCTYPE` (default `LS`), `NOOM_DOCSTATE` (`2T`), `NOOM_ITEM1` (`GA0004`),
//! `NOOM_ITEM2` (`601264`), `NOOM_PAYMODE` (default: the first mode offered). On failure after
//! the document was opened it cancels the document, then exits non-zero with the error.

use std::process::ExitCode;

use noom_client::models::DocumentData;
use noom_client::requests::{ItemSale, Payment};
use noom_client::sandbox::Sandbox;
use noom_client::{Client, Decimal, DocState, DocType, Money, OpenDocument};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("noom quickstart failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn setting(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the sandbox alive for the whole run when we use it.
    let (client, _sandbox) = match std::env::var("NOOM_BASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            println!("Using the NOOM server at {}", url.trim());
            (Client::from_env()?, None)
        }
        _ => {
            let sandbox = Sandbox::start().await?;
            println!(
                "NOOM_BASE_URL is not set: using the embedded sandbox at {}",
                sandbox.base_url()
            );
            (sandbox.client()?, Some(sandbox))
        }
    };
    let doctype = DocType::new(setting("NOOM_DOCTYPE", "LS"))?;
    let state = DocState::new(setting("NOOM_DOCSTATE", "2T"))?;
    let items = [
        setting("NOOM_ITEM1", "GA0004"),
        setting("NOOM_ITEM2", "601264"),
    ];

    println!("\n1. Log in as {}", client.user());
    client.login().await?;
    println!("   ok: access token received");

    println!("\n2. Open a new {doctype} document in state {state}");
    let doc = client.new_document(&doctype, &state).await?;
    println!("   docuid {}", doc.uid());

    match fill_pay_complete(&doc, &items).await {
        Ok(()) => Ok(()),
        Err(e) => {
            // Do not leave a half-filled document open on the server.
            if doc.clone().cancel().await.is_ok() {
                eprintln!("cancelled document {}", doc.uid());
            }
            Err(e)
        }
    }
}

async fn fill_pay_complete(
    doc: &OpenDocument,
    items: &[String; 2],
) -> Result<(), Box<dyn std::error::Error>> {
    println!("\n3. Add two items");
    for (code, quantity) in items.iter().zip([Decimal::TWO, Decimal::ONE]) {
        doc.item_sale(&ItemSale::new().search_code(code).quantity(quantity))
            .await?;
        println!("   + {quantity} × {code}");
    }

    let open = doc.get_full().await?;
    let to_pay = open.amount_to_pay.or(open.amount).unwrap_or(Money::ZERO);
    println!(
        "   total {}, to pay {to_pay}",
        open.amount.unwrap_or_default()
    );

    println!("\n4. Payment modes offered");
    let modes = doc.payment_modes().await?;
    for mode in &modes.payment_modes {
        println!("   {} {}", mode.id, mode.name.as_deref().unwrap_or(""));
    }
    let wanted = std::env::var("NOOM_PAYMODE")
        .ok()
        .filter(|m| !m.trim().is_empty());
    let mode = match wanted {
        Some(id) => modes
            .mode(id.trim())
            .ok_or_else(|| format!("payment mode {id} is not offered for this document"))?,
        None => modes
            .payment_modes
            .first()
            .ok_or("the server offers no payment mode for this document")?,
    };

    println!(
        "\n5. Pay {to_pay} by {} ({})",
        mode.id,
        mode.name.as_deref().unwrap_or("")
    );
    doc.set_payment(&Payment::new(&mode.id, to_pay)).await?;

    println!("\n6. Complete");
    let (dhid, saved) = doc.clone().complete_getdoc().await?;
    println!("   saved: dhid {dhid}");
    print_document(&saved);
    Ok(())
}

fn print_document(data: &DocumentData) {
    if let Some(h) = data.header() {
        println!(
            "   document {} ({} / state {})",
            h.document_no.as_deref().unwrap_or("-"),
            h.doc_type_id.as_deref().unwrap_or("-"),
            h.doc_state_id.as_deref().unwrap_or("-"),
        );
    }
    println!("   rows:");
    for row in data.rows() {
        println!(
            "     {:<8} {:<24} {:>8} × {:>8} = {:>9}",
            row.search_code.as_deref().unwrap_or("-"),
            row.text.as_deref().unwrap_or(""),
            row.quantity.map(|q| q.to_string()).unwrap_or_default(),
            row.price.map(|p| p.to_string()).unwrap_or_default(),
            row.amount.map(|a| a.to_string()).unwrap_or_default(),
        );
    }
    for p in data.payments() {
        println!(
            "   payment: {} {} {}",
            p.payment_mode_name.as_deref().unwrap_or("-"),
            p.amount.map(|a| a.to_string()).unwrap_or_default(),
            p.currency_id.as_deref().unwrap_or(""),
        );
    }
    println!(
        "   total {}, still to pay {}",
        data.amount.unwrap_or_default(),
        data.amount_to_pay.unwrap_or_default()
    );
}
