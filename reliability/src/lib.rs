//! The reliability report: the fault matrix and the mutation test of every vendor, as
//! `docs/reliability.md` (`cargo xtask reliability`). The logic lives in the core's sandbox kit
//! (`pos_client_core::sandbox::{matrix, mutation}`) and every vendor crate asserts its own cells
//! in `tests/reliability.rs`; this crate runs all five and writes the figures down.

pub mod fuzz;
pub mod heap;
pub mod report;

use pos_client_core::sandbox::Exercise;
use pos_client_core::sandbox::matrix::{self, Cell};
use pos_client_core::sandbox::mutation::{self, Report};

/// The vendors, in report order.
pub const VENDORS: [&str; 5] = ["cloudma", "cloudpos", "cloudonex", "noom", "suppliers"];

/// A fresh sandbox of `vendor`.
pub async fn sandbox(vendor: &str) -> std::io::Result<Box<dyn Exercise>> {
    Ok(match vendor {
        "cloudma" => Box::new(cloudma_client::sandbox::Sandbox::start().await?),
        "cloudpos" => Box::new(cloudpos_client::sandbox::Sandbox::start().await?),
        "cloudonex" => Box::new(cloudonex_client::sandbox::Sandbox::start().await?),
        "noom" => Box::new(noom_client::sandbox::Sandbox::start().await?),
        "suppliers" => Box::new(suppliers_client::sandbox::Sandbox::start().await?),
        other => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no sandbox for vendor {other}"),
            ));
        }
    })
}

/// The matrix cells and the mutation report of every vendor.
pub async fn run_all() -> std::io::Result<(Vec<Cell>, Vec<Report>)> {
    let mut cells = Vec::new();
    let mut reports = Vec::new();
    for vendor in VENDORS {
        cells.extend(matrix::run(move || sandbox(vendor)).await?);
        reports.push(mutation::run(sandbox(vendor).await?.as_ref(), 2026));
    }
    Ok((cells, reports))
}

/// Writes every vendor's seed answers ([`Exercise::corpus`]) as cargo-fuzz corpora in the layout
/// of `fuzz/`'s targets: `dir/decode_<vendor>/<n>`, each file the operation's index, a status
/// byte, then the body.
pub async fn write_corpus(dir: &std::path::Path) -> std::io::Result<()> {
    const STATUSES: [u16; 10] = [200, 201, 204, 400, 401, 403, 404, 422, 429, 500];
    for vendor in VENDORS {
        let sandbox = sandbox(vendor).await?;
        let operations = sandbox.operations();
        let target = dir.join(format!("decode_{vendor}"));
        std::fs::create_dir_all(&target)?;
        for (n, (operation, status, body)) in sandbox.corpus().into_iter().enumerate() {
            let op = operations
                .iter()
                .position(|o| o.name == operation)
                .unwrap_or(0);
            let st = STATUSES.iter().position(|s| *s == status).unwrap_or(0);
            let mut bytes = vec![u8::try_from(op).unwrap_or(0), u8::try_from(st).unwrap_or(0)];
            bytes.extend_from_slice(&body);
            std::fs::write(target.join(format!("{n:04}")), bytes)?;
        }
    }
    let adapters = dir.join("core_adapters");
    std::fs::create_dir_all(&adapters)?;
    std::fs::write(adapters.join("seed"), fuzz::ADAPTER_SEED)
}
